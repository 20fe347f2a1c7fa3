import type { ActivityType } from '@backend-path/shared/domain/activity';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { UserEntity } from './user.entity.ts';

// migrations/0005_activity.sql, and 0006: ticket_id is a plain column, no relation — the trail
// outlives its ticket, with no foreign key to it.
@Index('activity_ticket_created_idx', ['ticketId', 'createdAt'])
@Entity({ name: 'activity' })
export class ActivityEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId!: string;

  @Column({ type: 'uuid', name: 'actor_id' })
  actorId!: string;

  @Column({ type: 'text' })
  type!: ActivityType;

  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne('UserEntity')
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'activity_actor_id_fkey' })
  actor?: UserEntity;
}
