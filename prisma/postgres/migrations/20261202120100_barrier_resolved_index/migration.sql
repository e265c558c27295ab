-- The period first: an index led by status was taken by SQLite's planner for a caseload's open barriers too.

-- DropIndex
DROP INDEX "Barrier_status_resolvedAt_idx";

-- CreateIndex
CREATE INDEX "Barrier_resolvedAt_status_idx" ON "Barrier"("resolvedAt", "status");
