-- AlterTable
ALTER TABLE "JobRun" ADD COLUMN "asOf" DATETIME;

-- CreateTable
CREATE TABLE "SavedSearch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "communeCode" TEXT,
    "communeName" TEXT,
    "epciCode" TEXT,
    "departementCode" TEXT,
    "sector" TEXT,
    "startFrom" DATETIME,
    "startTo" DATETIME,
    "startWithinDays" INTEGER,
    "criteriaKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SavedSearch_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertedMission" (
    "youthId" INTEGER NOT NULL,
    "missionId" INTEGER NOT NULL,
    "notificationId" INTEGER,
    "alertedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("youthId", "missionId"),
    CONSTRAINT "AlertedMission_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SavedSearch_communeCode_sector_idx" ON "SavedSearch"("communeCode", "sector");

-- CreateIndex
CREATE INDEX "SavedSearch_epciCode_sector_idx" ON "SavedSearch"("epciCode", "sector");

-- CreateIndex
CREATE INDEX "SavedSearch_departementCode_sector_idx" ON "SavedSearch"("departementCode", "sector");

-- CreateIndex
CREATE INDEX "SavedSearch_sector_idx" ON "SavedSearch"("sector");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSearch_youthId_criteriaKey_key" ON "SavedSearch"("youthId", "criteriaKey");

-- CreateIndex
CREATE INDEX "AlertedMission_missionId_idx" ON "AlertedMission"("missionId");

-- CreateIndex
CREATE INDEX "Mission_publishedAt_idx" ON "Mission"("publishedAt");

-- CreateIndex
CREATE INDEX "JobRun_name_asOf_idx" ON "JobRun"("name", "asOf");

