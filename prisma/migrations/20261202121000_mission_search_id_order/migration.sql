-- The mission search's indexes end with id, the search's tie-break (ORDER BY createdAt DESC, id DESC): a page is
-- then read straight off the index however many missions share a createdAt (issue 16).

-- DropIndex
DROP INDEX "Mission_status_communeCode_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_epciCode_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_departementCode_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_communeCode_sector_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_epciCode_sector_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_departementCode_sector_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_sector_createdAt_idx";

-- DropIndex
DROP INDEX "Mission_status_createdAt_idx";

-- CreateIndex
CREATE INDEX "Mission_status_communeCode_createdAt_id_idx" ON "Mission"("status", "communeCode", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_epciCode_createdAt_id_idx" ON "Mission"("status", "epciCode", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_departementCode_createdAt_id_idx" ON "Mission"("status", "departementCode", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_communeCode_sector_createdAt_id_idx" ON "Mission"("status", "communeCode", "sector", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_epciCode_sector_createdAt_id_idx" ON "Mission"("status", "epciCode", "sector", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_departementCode_sector_createdAt_id_idx" ON "Mission"("status", "departementCode", "sector", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_sector_createdAt_id_idx" ON "Mission"("status", "sector", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_status_createdAt_id_idx" ON "Mission"("status", "createdAt", "id");
