import type { TicketPriority, TicketStatus } from '@backend-path/shared/domain/tickets';
import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { CommentEntity } from './comment.entity.ts';
import type { UserEntity } from './user.entity.ts';

// migrations/0003_tickets.sql. A foreign key appears twice: as a plain column (createdBy, what
// the repository reads and writes) and as a relation on the same column (creator, for joins).
// The indexes the migrations made, by name and columns: TypeORM can say neither DESC nor a
// GIN operator class, and with synchronize off it never builds one (test/db/db.orm-models.test.ts
// checks the names and columns against the database).
@Index('tickets_account_status_created_idx', ['accountId', 'status', 'createdAt', 'id'])
@Index('tickets_created_by_status_idx', ['createdBy', 'status'])
@Index('tickets_created_idx', ['createdAt', 'id'])
@Index('tickets_status_created_idx', ['status', 'createdAt', 'id'])
@Index('tickets_subject_trgm_idx', ['subject'])
@Entity({ name: 'tickets' })
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'account_id' })
  accountId!: string;

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy!: string;

  @Column({ type: 'uuid', name: 'assignee_id', nullable: true })
  assigneeId!: string | null;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'text', default: 'medium' })
  priority!: TicketPriority;

  @Column({ type: 'text', default: 'open' })
  status!: TicketStatus;

  // Plain columns, not @CreateDateColumn/@UpdateDateColumn: the database stamps them (DEFAULT
  // now()) and the repository sets updated_at explicitly, as the raw SQL does.
  @Column({ type: 'timestamptz', precision: 3, name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', precision: 3, name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', precision: 3, name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @ManyToOne('UserEntity')
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'tickets_created_by_fkey' })
  creator?: UserEntity;

  @ManyToOne('UserEntity')
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'tickets_assignee_id_fkey' })
  assignee?: UserEntity | null;

  @OneToMany('CommentEntity', (comment: CommentEntity) => comment.ticket)
  comments?: CommentEntity[];
}
