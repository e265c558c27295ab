import { describe, it, expect } from 'vitest';
import * as sqliteEnums from '../../src/store/generated/sqlite/enums.js';
import * as postgresEnums from '../../src/store/generated/postgres/enums.js';
import { caseloadScopeSchema, channelSchema, communeCodeSchema, departementCodeSchema, parseInput, sectorSchema, topicSchema, InvalidInputError } from '../../src/store/schemas.js';
import { auditEventSchema } from '../../src/store/repos/audit.js';
import { notificationSchema } from '../../src/store/repos/notifications.js';

describe.each([
  ['sqlite', sqliteEnums],
  ['postgresql', postgresEnums],
] as const)('store schemas against the generated %s client', (_kind, enums) => {
  it('the zod enums list exactly the Prisma enum values', () => {
    expect(sectorSchema.options).toEqual(Object.values(enums.Sector));
    expect(topicSchema.options).toEqual(Object.values(enums.BarrierTopic));
    expect(channelSchema.options).toEqual(Object.values(enums.Channel));
    expect(auditEventSchema.shape.actorType.options).toEqual(Object.values(enums.ActorType));
    const requestKinds = notificationSchema.options.find((o) => o.shape.kind.value === 'youth_request')!.shape;
    expect('requestKind' in requestKinds ? requestKinds.requestKind.options : []).toEqual(Object.values(enums.RequestKind));
  });
});

describe('store input schemas', () => {
  it('accept real INSEE commune and département codes, Corsica included', () => {
    for (const code of ['69123', '2A004', '2B033', '97411']) expect(communeCodeSchema.safeParse(code).success, code).toBe(true);
    for (const code of ['6912', '691234', '2C004', 'lyon', '']) expect(communeCodeSchema.safeParse(code).success, code).toBe(false);
    for (const code of ['69', '2A', '974']) expect(departementCodeSchema.safeParse(code).success, code).toBe(true);
    for (const code of ['6', '2C', '9744']) expect(departementCodeSchema.safeParse(code).success, code).toBe(false);
  });

  it('a caseload scope is one counsellor or one Mission locale, never both', () => {
    expect(caseloadScopeSchema.safeParse({ counsellorId: 3 }).success).toBe(true);
    expect(caseloadScopeSchema.safeParse({ missionLocaleId: 1 }).success).toBe(true);
    expect(caseloadScopeSchema.safeParse({ counsellorId: 3, missionLocaleId: 1 }).success).toBe(false);
    expect(caseloadScopeSchema.safeParse({}).success).toBe(false);
  });

  it('parseInput names the value and the field, not the input', () => {
    const err = (() => {
      try {
        parseInput(caseloadScopeSchema.options[0], { counsellorId: 'secret-value' }, 'caseload scope');
        return null;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err!.name).toBe('InvalidInputError');
    expect(err!.message).toMatch(/^Invalid caseload scope \(counsellorId\): /);
    expect(err!.message).not.toContain('secret-value');
  });
});
