export const USER_ROLES = ['customer', 'agent', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: string;
}
