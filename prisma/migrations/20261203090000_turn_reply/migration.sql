-- The reply of a turn, kept with its processed-update mark until it is claimed for sending (a COMMIT whose
-- acknowledgement was lost leaves it for the redelivery to send).

-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN "reply" TEXT;
