import { createFakeDataLayer } from '../fakes/fake-data-layer.ts';
import { createFakeRedis } from '../fakes/redis.fake.ts';
import { describeTicketRepositoryContract } from '../tickets/tickets.repository.contract.ts';
import { describeCommentAndCredentialBehaviour } from './accounts.behaviour.contract.ts';
import { describeCacheFillRace } from './cache-fill.race.contract.ts';
import { describeKeysetProperty } from './keyset.property.contract.ts';
import { describeRedisBehaviour } from './redis.behaviour.contract.ts';
import type { ContractSubject } from './subject.ts';

/** The fakes the unit tests use, each test on a fresh store holding the fixture users. */
async function connect(): Promise<ContractSubject> {
  const layer = createFakeDataLayer();
  return {
    tickets: layer.tickets,
    comments: layer.comments,
    credentials: layer.credentials,
    seedTicket: async (ticket) => layer.tickets.seed(ticket),
    seedComment: async (comment) => {
      layer.store.comments.set(comment.id, { ...comment });
    },
    activityOf: async (ticketId) => layer.tickets.activityOf(ticketId),
  };
}

describeTicketRepositoryContract('fake', connect);
describeCommentAndCredentialBehaviour('fake', connect);
describeKeysetProperty('fake', connect, 200);
const connectRedis = async () => ({ redis: createFakeRedis(), key: (name: string) => name });
describeRedisBehaviour('fake', connectRedis);
describeCacheFillRace('fake', connectRedis);
