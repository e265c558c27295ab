import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Store } from '../store/index.js';
import { isUnavailable } from '../store/errors.js';
import { isUniqueViolation } from '../store/errors.js';
import { importMissions } from './missions.js';
import { tableFromJson, UnreadableFileError } from './read.js';
import { fileHash, formatReport } from './report.js';
import { hashAgencyToken, looksLikeAgencyToken } from './tokens.js';

/**
 * `POST /api/agencies/missions`: agencies push their feed as JSON `{ "missions": [...] }` with
 * `Authorization: Bearer <agency token>`, and get the same per-row report as `npm run import:missions`.
 * The token is checked before the body is read; a token only writes its own agency's missions.
 */
export interface AgencyFeedDeps {
  store: Store;
  log: Logger;
  /** Largest accepted body (express/bytes syntax, e.g. "5mb"); above it, 413. */
  bodyLimit: string;
  now?: () => Date;
}

export const AGENCY_FEED_PATH = '/api/agencies/missions';

const bodySchema = z.object({
  /** Optional: the agency the caller means to write; another agency than the token's is refused (403). */
  agency: z.union([z.number().int().positive(), z.string().regex(/^\d{1,9}$/).transform(Number)]).optional(),
  closeMissing: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  missions: z.array(z.unknown()),
});

type Authed = Request & { agencyToken?: { id: number; agencyId: number }; bodyHash?: string };

/** Mounts the agency feed endpoint; call it before the app's global JSON parser so this route keeps its own limit. */
export function mountAgencyFeed(app: Express, deps: AgencyFeedDeps): void {
  const now = deps.now ?? (() => new Date());

  const authenticate = async (req: Authed, res: Response, next: NextFunction) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!m || !looksLikeAgencyToken(m[1]!)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="agencies"').json({ error: 'missing or malformed bearer token' });
      return;
    }
    try {
      const token = await deps.store.agencyTokens.useAgencyToken(hashAgencyToken(m[1]!), now());
      if (!token) {
        res.status(401).set('WWW-Authenticate', 'Bearer realm="agencies", error="invalid_token"').json({ error: 'unknown or revoked token' });
        return;
      }
      req.agencyToken = token;
      next();
    } catch (err) {
      failed(err, res);
    }
  };

  const failed = (err: unknown, res: Response) => {
    if (isUnavailable(err)) res.status(503).json({ error: 'database unavailable, retry later' });
    else if (isUniqueViolation(err)) res.status(409).json({ error: 'another import of this agency is running, retry later' });
    else {
      deps.log.error({ type: (err as Error).name }, 'agency feed import failed');
      res.status(500).json({ error: 'internal error' });
    }
  };

  app.post(
    AGENCY_FEED_PATH,
    authenticate,
    express.json({ limit: deps.bodyLimit, verify: (req, _res, buf) => ((req as Authed).bodyHash = fileHash(buf)) }),
    async (req: Authed, res: Response) => {
      const token = req.agencyToken!;
      const body = bodySchema.safeParse(req.body);
      if (!body.success) {
        res.status(400).json({ error: 'the body must be a JSON object with a "missions" array' });
        return;
      }
      if (body.data.agency !== undefined && body.data.agency !== token.agencyId) {
        deps.log.warn({ tokenId: token.id, agencyId: token.agencyId }, 'agency token used for another agency');
        res.status(403).json({ error: "this token may only write its own agency's missions" });
        return;
      }
      try {
        const report = await importMissions(deps.store, tableFromJson(body.data, 'missions'), {
          agencyId: token.agencyId,
          closeMissing: body.data.closeMissing,
          dryRun: body.data.dryRun,
          now: now(),
          actor: { id: `agency-token:${token.id}` },
          fileHash: req.bodyHash ?? fileHash(Buffer.from(JSON.stringify(req.body))),
        });
        deps.log.info({ tokenId: token.id, agencyId: token.agencyId, created: report.created, updated: report.updated, rejected: report.rejections.length }, 'agency feed imported');
        const lines = formatReport(report);
        res.status(200).json({
          summary: lines[0],
          report: lines,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          closed: report.closed,
          rejected: report.rejections.length,
          rejections: report.rejections,
          ignoredColumns: report.ignoredColumns,
          dryRun: report.dryRun,
        });
      } catch (err) {
        if (err instanceof UnreadableFileError) res.status(400).json({ error: err.message });
        else failed(err, res);
      }
    },
  );
}
