-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CounsellorRole" AS ENUM ('counsellor', 'manager');

-- CreateEnum
CREATE TYPE "YouthStatus" AS ENUM ('active', 'in_mission', 'paused', 'exited');

-- CreateEnum
CREATE TYPE "BarrierTopic" AS ENUM ('housing', 'mobility', 'childcare', 'health', 'money', 'training');

-- CreateEnum
CREATE TYPE "BarrierStatus" AS ENUM ('open', 'in_progress', 'resolved');

-- CreateEnum
CREATE TYPE "Sector" AS ENUM ('logistique', 'btp', 'industrie', 'hotellerie_restauration', 'commerce', 'proprete', 'transport', 'agriculture', 'tertiaire', 'services_personne');

-- CreateEnum
CREATE TYPE "MissionStatus" AS ENUM ('open', 'filled', 'closed');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('sent', 'seen', 'accepted', 'refused', 'withdrawn');

-- CreateEnum
CREATE TYPE "ApplicationSource" AS ENUM ('youth', 'counsellor_proposal');

-- CreateEnum
CREATE TYPE "InteractionChannel" AS ENUM ('phone', 'meeting', 'message', 'bot');

-- CreateEnum
CREATE TYPE "AppointmentStatus" AS ENUM ('planned', 'done', 'cancelled', 'missed');

-- CreateEnum
CREATE TYPE "Funder" AS ENUM ('FASTT', 'Akto', 'FPETT', 'MissionLocale', 'State');

-- CreateEnum
CREATE TYPE "Verification" AS ENUM ('verified', 'partial', 'unverified');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('telegram', 'teams', 'terminal');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('youth', 'counsellor', 'anonymous', 'system');

-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('contact', 'appointment', 'barrier');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('open', 'handled');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "MissionLocale" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "communeName" TEXT NOT NULL,
    "departementCode" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "openingHours" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MissionLocale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Counsellor" (
    "id" SERIAL NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "aadObjectId" TEXT,
    "role" "CounsellorRole" NOT NULL DEFAULT 'counsellor',
    "missionLocaleId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Counsellor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Youth" (
    "id" SERIAL NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "searchName" TEXT NOT NULL,
    "birthDate" TIMESTAMP(3),
    "phone" TEXT,
    "email" TEXT,
    "communeCode" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "missionLocaleId" INTEGER NOT NULL,
    "counsellorId" INTEGER NOT NULL,
    "entryDate" TIMESTAMP(3) NOT NULL,
    "status" "YouthStatus" NOT NULL DEFAULT 'active',
    "exitDate" TIMESTAMP(3),
    "contactPrefs" JSONB,
    "consentAt" TIMESTAMP(3),
    "telegramUserId" TEXT,
    "telegramChatId" TEXT,
    "linkedAt" TIMESTAMP(3),
    "anonymizedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Youth_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Barrier" (
    "id" SERIAL NOT NULL,
    "youthId" INTEGER NOT NULL,
    "topic" "BarrierTopic" NOT NULL,
    "status" "BarrierStatus" NOT NULL DEFAULT 'open',
    "note" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Barrier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agency" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "communeName" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgencyConvention" (
    "id" SERIAL NOT NULL,
    "agencyId" INTEGER NOT NULL,
    "missionLocaleId" INTEGER NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgencyConvention_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mission" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "sector" "Sector" NOT NULL,
    "romeCode" TEXT,
    "description" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "communeName" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "departementCode" TEXT NOT NULL,
    "epciCode" TEXT,
    "startDate" TIMESTAMP(3) NOT NULL,
    "endDate" TIMESTAMP(3) NOT NULL,
    "weeklyHours" INTEGER NOT NULL,
    "hourlyGrossPay" DOUBLE PRECISION NOT NULL,
    "requirements" JSONB NOT NULL,
    "places" INTEGER NOT NULL DEFAULT 1,
    "status" "MissionStatus" NOT NULL DEFAULT 'open',
    "agencyId" INTEGER NOT NULL,
    "externalRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" SERIAL NOT NULL,
    "youthId" INTEGER NOT NULL,
    "missionId" INTEGER NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'sent',
    "source" "ApplicationSource" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Placement" (
    "id" SERIAL NOT NULL,
    "youthId" INTEGER NOT NULL,
    "missionId" INTEGER NOT NULL,
    "startDate" TIMESTAMP(3) NOT NULL,
    "endDate" TIMESTAMP(3) NOT NULL,
    "hours" INTEGER NOT NULL,

    CONSTRAINT "Placement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" SERIAL NOT NULL,
    "youthId" INTEGER NOT NULL,
    "counsellorId" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,
    "channel" "InteractionChannel" NOT NULL,
    "note" TEXT,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Appointment" (
    "id" SERIAL NOT NULL,
    "youthId" INTEGER NOT NULL,
    "counsellorId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "purpose" TEXT,
    "status" "AppointmentStatus" NOT NULL DEFAULT 'planned',

    CONSTRAINT "Appointment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "YouthRequest" (
    "id" SERIAL NOT NULL,
    "youthId" INTEGER NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "message" TEXT,
    "status" "RequestStatus" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "YouthRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportMeasure" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "funder" "Funder" NOT NULL,
    "topic" "BarrierTopic" NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "eligibility" JSONB NOT NULL,
    "howToRequest" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "lastVerifiedAt" TIMESTAMP(3) NOT NULL,
    "verification" "Verification" NOT NULL,

    CONSTRAINT "SupportMeasure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaqEntry" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "variants" JSONB NOT NULL,
    "answer" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "lastVerifiedAt" TIMESTAMP(3) NOT NULL,
    "verification" "Verification" NOT NULL,

    CONSTRAINT "FaqEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "id" SERIAL NOT NULL,
    "codeHash" TEXT NOT NULL,
    "youthId" INTEGER NOT NULL,
    "issuedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "LinkCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationState" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelAddress" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "youthId" INTEGER,
    "channel" "Channel",
    "detail" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "eventId" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "counsellorId" INTEGER,
    "youthId" INTEGER,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Counsellor" ADD CONSTRAINT "Counsellor_missionLocaleId_fkey" FOREIGN KEY ("missionLocaleId") REFERENCES "MissionLocale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Youth" ADD CONSTRAINT "Youth_missionLocaleId_fkey" FOREIGN KEY ("missionLocaleId") REFERENCES "MissionLocale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Youth" ADD CONSTRAINT "Youth_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Barrier" ADD CONSTRAINT "Barrier_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgencyConvention" ADD CONSTRAINT "AgencyConvention_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgencyConvention" ADD CONSTRAINT "AgencyConvention_missionLocaleId_fkey" FOREIGN KEY ("missionLocaleId") REFERENCES "MissionLocale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mission" ADD CONSTRAINT "Mission_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appointment" ADD CONSTRAINT "Appointment_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "YouthRequest" ADD CONSTRAINT "YouthRequest_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "Counsellor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_counsellorId_fkey" FOREIGN KEY ("counsellorId") REFERENCES "Counsellor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_youthId_fkey" FOREIGN KEY ("youthId") REFERENCES "Youth"("id") ON DELETE CASCADE ON UPDATE CASCADE;

