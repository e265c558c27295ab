-- Proposals answered, reminders answered, counsellor digest (issue #13 part B).

-- AlterEnum
ALTER TYPE "ApplicationStatus" ADD VALUE 'proposed';
ALTER TYPE "ApplicationStatus" ADD VALUE 'declined';

-- AlterEnum
ALTER TYPE "RequestKind" ADD VALUE 'reschedule';

-- AlterTable
ALTER TABLE "Counsellor" ADD COLUMN "digestOptInAt" TIMESTAMP(3),
ADD COLUMN "lastDigestAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Application" ADD COLUMN "answeredAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Appointment" ADD COLUMN "confirmedAt" TIMESTAMP(3),
ADD COLUMN "confirmedFor" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "YouthRequest" ADD COLUMN "appointmentId" INTEGER;
