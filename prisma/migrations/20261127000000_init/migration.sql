-- CreateTable
CREATE TABLE "MissionLocale" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "communeName" TEXT NOT NULL,
    "departementCode" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "openingHours" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Counsellor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "aadObjectId" TEXT,
    "role" TEXT NOT NULL DEFAULT 'counsellor',
    "missionLocaleId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Counsellor_missionLocaleId_fkey" FOREIGN KEY ("missionLocaleId") REFERENCES "MissionLocale" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Youth" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "searchName" TEXT NOT NULL,
    "birthDate" DATETIME,
    "phone" TEXT,
    "email" TEXT,
    "communeCode" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "missionLocaleId" INTEGER NOT NULL,
    "counsellorId" INTEGER NOT NULL,
    "entryDate" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "exitDate" DATETIME,
    "contactPrefs" JSONB,
    "consentAt" DATETIME,
    "telegramUserId" TEXT,
    "telegramChatId" TEXT,
    "linkedAt" DATETIME,
    "anonymizedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Youth_missionLocaleId_fkey" FOREIGN KEY ("missionLocaleId") REFERENCES "MissionLocale" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Youth_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Barrier" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "note" TEXT,
    "openedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Barrier_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Agency" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "communeName" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AgencyConvention" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "agencyId" INTEGER NOT NULL,
    "missionLocaleId" INTEGER NOT NULL,
    "signedAt" DATETIME NOT NULL,
    CONSTRAINT "AgencyConvention_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AgencyConvention_missionLocaleId_fkey" FOREIGN KEY ("missionLocaleId") REFERENCES "MissionLocale" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Mission" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "sector" TEXT NOT NULL,
    "romeCode" TEXT,
    "description" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "communeName" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "departementCode" TEXT NOT NULL,
    "epciCode" TEXT,
    "startDate" DATETIME NOT NULL,
    "endDate" DATETIME NOT NULL,
    "weeklyHours" INTEGER NOT NULL,
    "hourlyGrossPay" REAL NOT NULL,
    "requirements" JSONB NOT NULL,
    "places" INTEGER NOT NULL DEFAULT 1,
    "status" TEXT NOT NULL DEFAULT 'open',
    "agencyId" INTEGER NOT NULL,
    "externalRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Mission_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Application" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "missionId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sent',
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Application_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Application_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Placement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "missionId" INTEGER NOT NULL,
    "startDate" DATETIME NOT NULL,
    "endDate" DATETIME NOT NULL,
    "hours" INTEGER NOT NULL,
    CONSTRAINT "Placement_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Placement_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "counsellorId" INTEGER,
    "at" DATETIME NOT NULL,
    "channel" TEXT NOT NULL,
    "note" TEXT,
    CONSTRAINT "Interaction_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Interaction_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Appointment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "counsellorId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "place" TEXT NOT NULL,
    "purpose" TEXT,
    "status" TEXT NOT NULL DEFAULT 'planned',
    CONSTRAINT "Appointment_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Appointment_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "YouthRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "youthId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" DATETIME,
    CONSTRAINT "YouthRequest_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SupportMeasure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "funder" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "eligibility" JSONB NOT NULL,
    "howToRequest" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "lastVerifiedAt" DATETIME NOT NULL,
    "verification" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "FaqEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "variants" JSONB NOT NULL,
    "answer" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "lastVerifiedAt" DATETIME NOT NULL,
    "verification" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "codeHash" TEXT NOT NULL,
    "youthId" INTEGER NOT NULL,
    "issuedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "LinkCode_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LinkCode_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "Counsellor" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConversationState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelAddress" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "youthId" INTEGER,
    "channel" TEXT,
    "detail" JSONB
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "processedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "counsellorId" INTEGER,
    "youthId" INTEGER,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    CONSTRAINT "Notification_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Counsellor_email_key" ON "Counsellor"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Counsellor_aadObjectId_key" ON "Counsellor"("aadObjectId");

-- CreateIndex
CREATE INDEX "Counsellor_missionLocaleId_idx" ON "Counsellor"("missionLocaleId");

-- CreateIndex
CREATE UNIQUE INDEX "Youth_telegramUserId_key" ON "Youth"("telegramUserId");

-- CreateIndex
CREATE INDEX "Youth_counsellorId_status_idx" ON "Youth"("counsellorId", "status");

-- CreateIndex
CREATE INDEX "Youth_missionLocaleId_idx" ON "Youth"("missionLocaleId");

-- CreateIndex
CREATE INDEX "Youth_searchName_idx" ON "Youth"("searchName");

-- CreateIndex
CREATE INDEX "Barrier_youthId_status_idx" ON "Barrier"("youthId", "status");

-- CreateIndex
CREATE INDEX "Barrier_topic_status_idx" ON "Barrier"("topic", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AgencyConvention_agencyId_missionLocaleId_key" ON "AgencyConvention"("agencyId", "missionLocaleId");

-- CreateIndex
CREATE UNIQUE INDEX "Mission_externalRef_key" ON "Mission"("externalRef");

-- CreateIndex
CREATE INDEX "Mission_status_communeCode_createdAt_idx" ON "Mission"("status", "communeCode", "createdAt");

-- CreateIndex
CREATE INDEX "Mission_status_epciCode_createdAt_idx" ON "Mission"("status", "epciCode", "createdAt");

-- CreateIndex
CREATE INDEX "Mission_status_departementCode_createdAt_idx" ON "Mission"("status", "departementCode", "createdAt");

-- CreateIndex
CREATE INDEX "Mission_status_sector_createdAt_idx" ON "Mission"("status", "sector", "createdAt");

-- CreateIndex
CREATE INDEX "Mission_status_createdAt_idx" ON "Mission"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Application_missionId_idx" ON "Application"("missionId");

-- CreateIndex
CREATE UNIQUE INDEX "Application_youthId_missionId_key" ON "Application"("youthId", "missionId");

-- CreateIndex
CREATE INDEX "Placement_youthId_endDate_idx" ON "Placement"("youthId", "endDate");

-- CreateIndex
CREATE INDEX "Placement_endDate_idx" ON "Placement"("endDate");

-- CreateIndex
CREATE INDEX "Interaction_youthId_at_idx" ON "Interaction"("youthId", "at");

-- CreateIndex
CREATE INDEX "Appointment_youthId_at_idx" ON "Appointment"("youthId", "at");

-- CreateIndex
CREATE INDEX "Appointment_counsellorId_at_idx" ON "Appointment"("counsellorId", "at");

-- CreateIndex
CREATE INDEX "YouthRequest_youthId_status_idx" ON "YouthRequest"("youthId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SupportMeasure_key_key" ON "SupportMeasure"("key");

-- CreateIndex
CREATE INDEX "SupportMeasure_topic_idx" ON "SupportMeasure"("topic");

-- CreateIndex
CREATE UNIQUE INDEX "FaqEntry_key_key" ON "FaqEntry"("key");

-- CreateIndex
CREATE UNIQUE INDEX "LinkCode_codeHash_key" ON "LinkCode"("codeHash");

-- CreateIndex
CREATE INDEX "LinkCode_youthId_idx" ON "LinkCode"("youthId");

-- CreateIndex
CREATE INDEX "ConversationState_updatedAt_idx" ON "ConversationState"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationState_channel_channelUserId_key" ON "ConversationState"("channel", "channelUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelAddress_channel_channelUserId_key" ON "ChannelAddress"("channel", "channelUserId");

-- CreateIndex
CREATE INDEX "AuditEvent_youthId_at_idx" ON "AuditEvent"("youthId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorType_actorId_action_at_idx" ON "AuditEvent"("actorType", "actorId", "action", "at");

-- CreateIndex
CREATE INDEX "ProcessedUpdate_processedAt_idx" ON "ProcessedUpdate"("processedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessedUpdate_channel_eventId_key" ON "ProcessedUpdate"("channel", "eventId");

-- CreateIndex
CREATE INDEX "Notification_status_createdAt_idx" ON "Notification"("status", "createdAt");

