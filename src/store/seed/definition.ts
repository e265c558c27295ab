/**
 * The demo's definition file (prisma/seed/demo.json): its schema and its loader. Its own module so the demo
 * seed and the bulk seed both read it without importing each other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../database-url.js';
import { SECTORS } from '../../shared/domain.js';

const template = z.object({
  title: z.string(),
  romeCode: z.string(),
  pay: z.tuple([z.number(), z.number()]),
  hours: z.number().int(),
  requirements: z.array(z.string()),
  description: z.string(),
});
const demoFile = z.object({
  areas: z.array(
    z.object({
      key: z.string(),
      missionLocale: z.object({
        name: z.string(),
        communeCode: z.string(),
        phone: z.string(),
        email: z.string(),
        address: z.string(),
        openingHours: z.string(),
      }),
      communes: z.array(z.string()).min(1),
      counsellors: z.array(
        z.object({
          firstName: z.string(),
          lastName: z.string(),
          email: z.string(),
          aadObjectId: z.string(),
          role: z.enum(['counsellor', 'manager']),
        }),
      ),
      agencies: z.array(z.object({ name: z.string(), brand: z.string(), communeCode: z.string() })).min(1),
    }),
  ),
  namedYouth: z.array(
    z.object({ firstName: z.string(), lastName: z.string(), area: z.string(), counsellor: z.number().int(), slot: z.number().int() }),
  ),
  firstNames: z.array(z.string()).min(10),
  lastNames: z.array(z.string()).min(10),
  missionTemplates: z.record(z.enum(SECTORS), z.array(template).min(1)),
});
export type DemoDefinition = z.infer<typeof demoFile>;

/** Reads prisma/seed/demo.json, the fictitious people, agencies and mission templates of the demo. */
export function loadDemoDefinition(file = path.join(repoRoot, 'prisma', 'seed', 'demo.json')): DemoDefinition {
  const parsed = demoFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: invalid demo definition at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
