import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callerFactory } from './callers.ts';
import { accessLog } from './checks/access-log.ts';
import { accountScoping } from './checks/account-scoping.ts';
import { auth } from './checks/auth.ts';
import { boundedCount } from './checks/bounded-count.ts';
import { businessRules } from './checks/business-rules.ts';
import { cache } from './checks/cache.ts';
import { callerHeader } from './checks/caller-header.ts';
import { comments } from './checks/comments.ts';
import { conditionalGet } from './checks/conditional-get.ts';
import { contentNegotiation } from './checks/content-negotiation.ts';
import { cors } from './checks/cors.ts';
import { envelope } from './checks/envelope.ts';
import { eventLoopDelay } from './checks/event-loop-delay.ts';
import { headRequests } from './checks/head-requests.ts';
import { health } from './checks/health.ts';
import { idempotency } from './checks/idempotency.ts';
import { invalidId } from './checks/invalid-id.ts';
import { metrics } from './checks/metrics.ts';
import { openapi } from './checks/openapi.ts';
import { pagination } from './checks/pagination.ts';
import { rateLimit } from './checks/rate-limit.ts';
import { readiness } from './checks/readiness.ts';
import { reports } from './checks/reports.ts';
import { requestId } from './checks/request-id.ts';
import { roles } from './checks/roles.ts';
import { search } from './checks/search.ts';
import { securityHeaders } from './checks/security-headers.ts';
import { statusCodes } from './checks/status-codes.ts';
import { structuredLogs } from './checks/structured-logs.ts';
import { validation } from './checks/validation.ts';
import { versionedRoutes } from './checks/versioned-routes.ts';
import type { CallerMode, CapabilityCheck, CapabilityContext } from './context.ts';
import { send } from './http.ts';

/** Every capability a stage may declare, by name: one check module each (checks/<name>.ts). */
export const CAPABILITY_CHECKS: Readonly<Record<string, CapabilityCheck>> = Object.fromEntries(
  [
    envelope,
    statusCodes,
    versionedRoutes,
    validation,
    conditionalGet,
    cors,
    health,
    eventLoopDelay,
    reports,
    headRequests,
    pagination,
    requestId,
    accessLog,
    businessRules,
    callerHeader,
    invalidId,
    search,
    boundedCount,
    comments,
    auth,
    roles,
    accountScoping,
    contentNegotiation,
    openapi,
    rateLimit,
    cache,
    readiness,
    idempotency,
    metrics,
    securityHeaders,
    structuredLogs,
  ].map((check) => [check.name, check]),
);

/** What a stage's package.json says under `backendPath`. */
export interface StageContract {
  needs: string[];
  capabilities: string[];
  /** A capability the previous stage had and this one drops or changes → why. */
  capabilityChanges: Record<string, string>;
}

export function readStageContract(stageDir: string): StageContract {
  const pkg = JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8'));
  const declared = pkg.backendPath ?? {};
  return {
    needs: Array.isArray(declared.needs) ? declared.needs : [],
    capabilities: Array.isArray(declared.capabilities) ? declared.capabilities : [],
    capabilityChanges: declared.capabilityChanges ?? {},
  };
}

/** Who the checks act as, from what the stage declares (auth wins over the header). */
export function callerModeOf(capabilities: readonly string[]): CallerMode {
  if (capabilities.includes('auth')) return 'jwt-login';
  if (capabilities.includes('caller-header')) return 'x-user-id';
  return 'none';
}

/** The context every check of one running server shares. */
export function createCapabilityContext(options: {
  baseUrl: string;
  capabilities: readonly string[];
  allowedOrigin: string;
  serverOutput?: () => string;
}): CapabilityContext {
  const { baseUrl, capabilities, allowedOrigin } = options;
  const callerMode = callerModeOf(capabilities);
  return {
    baseUrl,
    callerMode,
    allowedOrigin,
    declares: (capability) => capabilities.includes(capability),
    newCaller: callerFactory(callerMode, baseUrl),
    serverOutput: options.serverOutput ?? (() => ''),
    send: (method, path, { as, ...rest } = {}) =>
      send(baseUrl, method, path, { ...rest, headers: { ...as?.headers, ...rest.headers } }),
  };
}
