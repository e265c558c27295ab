/**
 * The store: the only door to the database. Repositories are plain functions taking the client first;
 * `bindStore` closes them over one client so the core receives a ready object and never sees Prisma.
 */
import type { Db } from './client.js';
import * as missions from './repos/missions.js';
import * as youth from './repos/youth.js';
import * as caseload from './repos/caseload.js';
import * as activity from './repos/activity.js';
import * as content from './repos/content.js';
import * as linkCodes from './repos/link-codes.js';
import * as audit from './repos/audit.js';
import * as conversation from './repos/conversation.js';
import * as counsellors from './repos/counsellors.js';
import * as notifications from './repos/notifications.js';
import * as stats from './repos/stats.js';
import * as dataRights from './repos/data-rights.js';
import * as jobRuns from './repos/job-runs.js';
import * as reminders from './repos/reminders.js';

type Bound<M> = {
  [K in keyof M as M[K] extends (db: Db, ...args: never[]) => unknown ? K : never]: M[K] extends (db: Db, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

function bind<M extends Record<string, unknown>>(db: Db, module: M): Bound<M> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function') out[name] = (...args: unknown[]) => (value as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
  }
  return out as Bound<M>;
}

export function bindStore(db: Db) {
  return {
    missions: bind(db, missions),
    youth: bind(db, youth),
    caseload: bind(db, caseload),
    activity: bind(db, activity),
    content: bind(db, content),
    linkCodes: bind(db, linkCodes),
    audit: bind(db, audit),
    conversation: bind(db, conversation),
    counsellors: bind(db, counsellors),
    notifications: bind(db, notifications),
    stats: bind(db, stats),
    dataRights: bind(db, dataRights),
    jobRuns: bind(db, jobRuns),
    reminders: bind(db, reminders),
    /** True when the database answers a trivial query. */
    async ping(): Promise<boolean> {
      try {
        await db.$queryRawUnsafe('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The store as the core and the bots see it. */
export type Store = ReturnType<typeof bindStore>;

export type { MissionCard, MissionDetails, MissionPage, MissionSearch, WiderSearchCounts } from './repos/missions.js';
export type { YouthIdentity, NameMatch } from './repos/youth.js';
export type { CaseloadRow, CaseloadOverview, YouthFile } from './repos/caseload.js';
export { CASELOAD_LIST_LIMIT } from './repos/caseload.js';
export type { ApplicationView, EligibilityFacts, RecordedApplication } from './repos/activity.js';
export type { FaqView, MeasureView } from './repos/content.js';
export type { CodeRedemption } from './repos/link-codes.js';
export type { AuditEventInput } from './repos/audit.js';
export type { CounsellorView } from './repos/counsellors.js';
export type { NotificationInput, PendingNotification } from './repos/notifications.js';
export type { ProgrammeStats } from './repos/stats.js';
export type { CaseloadScope, Sector, Topic, ChannelName } from './schemas.js';
export { InvalidInputError } from './schemas.js';
export { StoreUnavailableError, isUnavailable } from './errors.js';
