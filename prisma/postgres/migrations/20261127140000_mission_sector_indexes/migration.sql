-- CreateIndex
CREATE INDEX "Mission_status_communeCode_sector_createdAt_idx" ON "Mission"("status", "communeCode", "sector", "createdAt");

-- CreateIndex
CREATE INDEX "Mission_status_epciCode_sector_createdAt_idx" ON "Mission"("status", "epciCode", "sector", "createdAt");

-- CreateIndex
CREATE INDEX "Mission_status_departementCode_sector_createdAt_idx" ON "Mission"("status", "departementCode", "sector", "createdAt");

