import type { Random } from './random.ts';

// The text of generated data. Subjects combine three lists (≈ 3,000 distinct subjects): enough
// variety for a search lab to find some words rare and some common.

const list = (text: string): string[] => text.trim().split(/\s+/);

export const COMPANY_WORDS = list(`
  Northwind Initech Umbrella Stark Wayne Hooli Vandelay Soylent Cyberdyne Wonka Tyrell
  Aperture Massive Sirius Gringotts Oscorp Serenity Monarch Duff Prestige Nakatomi Dunder
`);
export const COMPANY_SUFFIXES = list(`
  Corp Industries Logistics Labs Systems Foods Partners Group Analytics Media Health Energy
  Retail Studios Bank Travel
`);
export const FIRST_NAMES = list(`
  Ada Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kemi Liam Maya
  Nour Oscar Priya Quentin Rosa Sven Tariq Uma Victor Wen Ximena Yusuf Zoe
`);
export const LAST_NAMES = list(`
  Adams Bauer Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Lopez
  Mensah Nguyen Okafor Patel Rossi Silva Tanaka Varga Weber Yilmaz Zhang
`);

const PROBLEMS = [
  'Error when opening',
  'Cannot access',
  'Slow response from',
  'Blank screen on',
  'Wrong totals in',
  'Timeout while loading',
  'Question about',
  'Feature request for',
  'Broken link in',
  'Missing data in',
  'Permission denied on',
  'Duplicate entries in',
  'Unexpected logout in',
  'Cannot save changes to',
  'Formatting issue in',
  'Sync failing for',
];
const FEATURES = [
  'the dashboard',
  'the billing page',
  'CSV export',
  'user settings',
  'the mobile app',
  'invoice PDFs',
  'API tokens',
  'search results',
  'team invitations',
  'SSO login',
  'notification emails',
  'the report builder',
  'the calendar view',
  'file uploads',
  'the audit log',
  'webhooks',
];
// Empty entries: most subjects carry no context.
const CONTEXTS = [
  ...['', '', '', '', 'since this morning', 'after the last update', 'on Safari'],
  ...['for some users', 'in production', 'on Android', 'after a password reset', 'since yesterday'],
];

const GREETINGS = ['Hi team,', 'Hello,', 'Good morning,', 'Hi support,', 'Hey,'];
const DETAILS = [
  'It started happening after we invited new colleagues.',
  'We tried another browser and cleared the cache, with the same result.',
  'Three people on our team see it, the others do not.',
  'The page shows a spinner for about a minute and then gives up.',
  'Nothing changed on our side as far as I know.',
  'This blocks our month-end reporting, so a quick answer would help a lot.',
  'It works on the first try and fails on every try after that.',
  'Our admin already checked the permissions of the affected accounts.',
  'The numbers differ from last week’s export by a few percent.',
];
const SIGN_OFFS = ['Thanks!', 'Thanks in advance.', 'Best regards.', 'Cheers.', 'Any idea?'];

const CUSTOMER_REPLIES = [
  'Thanks, I will try that and report back.',
  'Still happening on my side, unfortunately.',
  'That fixed it, thank you!',
  'Here is the extra detail you asked for: it only fails for large files.',
  'Any update on this one?',
  'A colleague sees it too now.',
];
const AGENT_REPLIES = [
  'Thanks for reporting this, we are looking into it.',
  'Could you tell us which browser and version you are using?',
  'We deployed a fix; could you check again?',
  'I could reproduce it and escalated it to our engineers.',
  'This is expected behaviour, here is how to change the setting.',
  'We are still investigating and will update you tomorrow.',
];

/** At most ~75 characters, far below TICKET_LIMITS.subjectMaxLength. */
export function ticketSubject(r: Random): string {
  const text = `${r.pick(PROBLEMS)} ${r.pick(FEATURES)}`;
  const context = r.pick(CONTEXTS);
  return context ? `${text} ${context}` : text;
}

export function ticketDescription(r: Random): string {
  return `${r.pick(GREETINGS)}\n\n${r.pick(DETAILS)}\n\n${r.pick(SIGN_OFFS)}`;
}

export function commentBody(r: Random, byAgent: boolean): string {
  return r.pick(byAgent ? AGENT_REPLIES : CUSTOMER_REPLIES);
}
