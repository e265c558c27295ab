-- Start-window searches are counted along startDate, and read along it when the window holds few missions (issue 16).

-- CreateIndex
CREATE INDEX "Mission_status_communeCode_startDate_idx" ON "Mission"("status", "communeCode", "startDate");

-- CreateIndex
CREATE INDEX "Mission_status_epciCode_startDate_idx" ON "Mission"("status", "epciCode", "startDate");

-- CreateIndex
CREATE INDEX "Mission_status_departementCode_startDate_idx" ON "Mission"("status", "departementCode", "startDate");

-- CreateIndex
CREATE INDEX "Mission_status_startDate_idx" ON "Mission"("status", "startDate");
