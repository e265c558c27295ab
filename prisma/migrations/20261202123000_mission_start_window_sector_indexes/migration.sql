-- A start window with a sector is walked along (status, place, sector, startDate): the sector was checked row by row
-- along the window before (issue 16).

-- CreateIndex
CREATE INDEX "Mission_status_communeCode_sector_startDate_idx" ON "Mission"("status", "communeCode", "sector", "startDate");

-- CreateIndex
CREATE INDEX "Mission_status_epciCode_sector_startDate_idx" ON "Mission"("status", "epciCode", "sector", "startDate");

-- CreateIndex
CREATE INDEX "Mission_status_departementCode_sector_startDate_idx" ON "Mission"("status", "departementCode", "sector", "startDate");

-- CreateIndex
CREATE INDEX "Mission_status_sector_startDate_idx" ON "Mission"("status", "sector", "startDate");
