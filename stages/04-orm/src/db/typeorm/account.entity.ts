import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

// TypeORM's view of migrations/0001_accounts.sql. Every @Column names its SQL type: tsx and
// vitest compile without decorator metadata, so TypeORM cannot infer one from the TS type.
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
