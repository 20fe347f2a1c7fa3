import { createTypeormCommentRepository } from '../../src/comments/comments.repository.typeorm.ts';
import { UserEntity } from '../../src/db/typeorm/user.entity.ts';
import { connectTypeorm } from '../../src/db/typeorm.ts';
import { createTypeormTicketRepository } from '../../src/tickets/tickets.repository.typeorm.ts';
import { describeTicketRepositoryContract } from './tickets.repository.contract.ts';

describeTicketRepositoryContract('typeorm', async (url) => {
  const dataSource = await connectTypeorm(url);
  return {
    tickets: createTypeormTicketRepository(dataSource),
    comments: createTypeormCommentRepository(dataSource),
    createUser: (user) => dataSource.getRepository(UserEntity).insert(user),
    close: () => dataSource.destroy(),
  };
});
