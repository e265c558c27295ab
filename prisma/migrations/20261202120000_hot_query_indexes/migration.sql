-- Indexes for the Mission locale overview and the programme figures at scale (issue 16).

-- CreateIndex
CREATE INDEX "Youth_missionLocaleId_status_anonymizedAt_idx" ON "Youth"("missionLocaleId", "status", "anonymizedAt");

-- CreateIndex
CREATE INDEX "Youth_entryDate_exitDate_idx" ON "Youth"("entryDate", "exitDate");

-- CreateIndex
CREATE INDEX "Barrier_status_resolvedAt_idx" ON "Barrier"("status", "resolvedAt");

-- CreateIndex
CREATE INDEX "Placement_startDate_youthId_hours_idx" ON "Placement"("startDate", "youthId", "hours");

-- CreateIndex
CREATE INDEX "Placement_endDate_startDate_youthId_idx" ON "Placement"("endDate", "startDate", "youthId");

-- CreateIndex
CREATE INDEX "Interaction_at_youthId_idx" ON "Interaction"("at", "youthId");
