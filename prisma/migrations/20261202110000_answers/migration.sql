-- Proposals answered, reminders answered, counsellor digest (issue #13 part B).
-- SQLite keeps enums as TEXT: the new values (ApplicationStatus proposed/declined, RequestKind reschedule) need no change.

-- AlterTable
ALTER TABLE "Counsellor" ADD COLUMN "digestOptInAt" DATETIME;
ALTER TABLE "Counsellor" ADD COLUMN "lastDigestAt" DATETIME;

-- AlterTable
ALTER TABLE "Application" ADD COLUMN "answeredAt" DATETIME;

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN "confirmedAt" DATETIME;
ALTER TABLE "Appointment" ADD COLUMN "confirmedFor" DATETIME;

-- AlterTable
ALTER TABLE "YouthRequest" ADD COLUMN "appointmentId" INTEGER;
