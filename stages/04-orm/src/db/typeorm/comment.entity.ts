import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { TicketEntity } from './ticket.entity.ts';
import type { UserEntity } from './user.entity.ts';

// migrations/0004_comments.sql.
@Index('comments_ticket_created_idx', ['ticketId', 'createdAt', 'id'])
@Entity({ name: 'comments' })
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId!: string;

  @Column({ type: 'uuid', name: 'author_id' })
  authorId!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne('TicketEntity', (ticket: TicketEntity) => ticket.comments, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'comments_ticket_id_fkey' })
  ticket?: TicketEntity;

  @ManyToOne('UserEntity')
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'comments_author_id_fkey' })
  author?: UserEntity;
}
