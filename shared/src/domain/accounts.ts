/** A customer organisation. Every user and ticket belongs to exactly one account. */
export interface Account {
  id: string;
  name: string;
  createdAt: string;
}
