-- AlterTable
ALTER TABLE "ChannelAddress" ADD COLUMN "unreachableAt" DATETIME;
ALTER TABLE "ChannelAddress" ADD COLUMN "unreachableReason" TEXT;

-- CreateTable
CREATE TABLE "rate_limit_counter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "counsellorId" INTEGER,
    "youthId" INTEGER,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "dedupeKey" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "channel" TEXT,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" DATETIME,
    CONSTRAINT "Notification_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Notification" ("attempts", "counsellorId", "createdAt", "dedupeKey", "id", "kind", "lastError", "payload", "sentAt", "status", "youthId") SELECT "attempts", "counsellorId", "createdAt", "dedupeKey", "id", "kind", "lastError", "payload", "sentAt", "status", "youthId" FROM "Notification";
DROP TABLE "Notification";
ALTER TABLE "new_Notification" RENAME TO "Notification";
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");
CREATE INDEX "Notification_status_createdAt_idx" ON "Notification"("status", "createdAt");
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Backfill: the channel of existing notifications follows from their kind; finished ones get their end time.
UPDATE "Notification" SET "channel" = 'telegram' WHERE "kind" = 'mission_proposal';
UPDATE "Notification" SET "channel" = 'teams' WHERE "kind" IN ('youth_interested', 'youth_request');
UPDATE "Notification" SET "finishedAt" = COALESCE("sentAt", "createdAt") WHERE "status" <> 'pending';
