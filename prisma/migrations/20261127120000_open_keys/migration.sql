-- AlterTable
ALTER TABLE "Barrier" ADD COLUMN "openKey" TEXT;

-- AlterTable
ALTER TABLE "YouthRequest" ADD COLUMN "openKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Barrier_openKey_key" ON "Barrier"("openKey");

-- CreateIndex
CREATE UNIQUE INDEX "YouthRequest_openKey_key" ON "YouthRequest"("openKey");

