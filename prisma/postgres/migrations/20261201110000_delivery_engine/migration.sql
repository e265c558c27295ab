-- AlterEnum
ALTER TYPE "NotificationStatus" ADD VALUE 'unreachable';

-- AlterTable
ALTER TABLE "ChannelAddress" ADD COLUMN     "unreachableAt" TIMESTAMP(3),
ADD COLUMN     "unreachableReason" TEXT;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "channel" "Channel",
ADD COLUMN     "finishedAt" TIMESTAMP(3),
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "partsSent" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "rate_limit_counter" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_counter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");


-- Backfill: the channel of existing notifications follows from their kind; finished ones get their end time.
UPDATE "Notification" SET "channel" = 'telegram' WHERE "kind" = 'mission_proposal';
UPDATE "Notification" SET "channel" = 'teams' WHERE "kind" IN ('youth_interested', 'youth_request');
UPDATE "Notification" SET "finishedAt" = COALESCE("sentAt", "createdAt") WHERE "status" <> 'pending';
