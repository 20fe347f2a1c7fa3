import { defineConfig } from 'prisma/config';

// Read by the Prisma CLI only (`prisma generate`). The app never reads this file: it hands
// PrismaClient a driver adapter built from src/config.ts's DATABASE_URL (src/db/prisma.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: {
    // Not `env('DATABASE_URL')`: Prisma's env() throws when the variable is unset, even for
    // `prisma generate`, which never connects. Only `migrate`/`db` commands would use it.
    url: process.env.DATABASE_URL ?? '',
  },
});
