import type { UserRole } from '@backend-path/shared/domain/users';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { AccountEntity } from './account.entity.ts';

// migrations/0002_users.sql. Relations name their target as a string ('AccountEntity'), not
// `() => AccountEntity`: entity files then import each other as types only, no import cycles.
@Index('users_account_id_idx', ['accountId'])
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: UserRole;

  @Column({ type: 'timestamptz', precision: 3, name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne('AccountEntity')
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'users_account_id_fkey' })
  account?: AccountEntity;
}
