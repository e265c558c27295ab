-- Imports (issue 12): agency tokens, mission references per agency, youth external ids, counsellor activity.

-- Mission: the agency's own reference, unique per agency (was a global external ref).
DROP INDEX "Mission_externalRef_key";
ALTER TABLE "Mission" RENAME COLUMN "externalRef" TO "reference";
ALTER TABLE "Mission" ADD COLUMN "publishedAt" TIMESTAMP(3);
UPDATE "Mission" SET "publishedAt" = "createdAt";
CREATE UNIQUE INDEX "Mission_agencyId_reference_key" ON "Mission"("agencyId", "reference");

-- Counsellor: deactivated when removed from the counsellor file.
ALTER TABLE "Counsellor" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "deactivatedAt" TIMESTAMP(3);

-- Youth: the file's id in the Mission locale's information system.
ALTER TABLE "Youth" ADD COLUMN "externalId" TEXT;
CREATE UNIQUE INDEX "Youth_missionLocaleId_externalId_key" ON "Youth"("missionLocaleId", "externalId");

-- CreateTable
CREATE TABLE "AgencyToken" (
    "id" SERIAL NOT NULL,
    "agencyId" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AgencyToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AgencyToken_tokenHash_key" ON "AgencyToken"("tokenHash");
CREATE INDEX "AgencyToken_agencyId_idx" ON "AgencyToken"("agencyId");
ALTER TABLE "AgencyToken" ADD CONSTRAINT "AgencyToken_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
