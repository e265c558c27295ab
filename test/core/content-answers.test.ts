import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { figure, formatFigureValue } from '../../src/content/figures.js';
import type { Assistant, Block } from '../../src/core/types.js';
import { contentChanged } from '../../src/store/repos/content.js';

const DAY = 86_400_000;
const spaces = (s: string): string => s.replace(/[\s\u00a0\u202f]+/g, ' ');
const sourceOf = (c: Conversation): Extract<Block, { type: 'source' }> | undefined =>
  c.reply.blocks.find((b): b is Extract<Block, { type: 'source' }> => b.type === 'source');

// How checked content reaches a young person: the right entry, the figures of the data file, an honest note.
describe.each(databaseFactories)('checked content in conversations on %s', (_kind, factory) => {
  let db: TestDatabase;
  let assistant: Assistant;
  let user = 8_200_000;
  const anonymous = () => new Conversation(assistant, 'telegram', String(++user));

  beforeAll(async () => {
    db = await factory();
    assistant = testAssistant(db);
  });
  afterAll(async () => db?.close());

  it('answers "c combien le smic" with the SMIC of the yearly figures file and a verified source, without the note', async () => {
    const c = anonymous();
    const text = spaces(await c.say('c combien le smic'));
    expect(text).toContain(`${spaces(formatFigureValue(figure('smic_horaire_brut').value))} € brut de l'heure`);
    expect(text).toContain('1er janvier 2026');
    const source = sourceOf(c);
    expect(source?.url).toBe((await db.store.content.findFaqByKey('smic_fiche_de_paie'))!.sourceUrl);
    expect(source?.note).toBeUndefined();
  });

  it.each([
    ['c koi le delai de carence entre 2 missions', 'delai_de_carence'],
    ['si je refuse le cdi a la fin de ma mission je perds mon chomage ?', 'chomage_refus_cdi'],
    ['je suis victime de discrimination a lembauche', 'discrimination_travail'],
    ['mon chef me harcele pendant ma mission', 'harcelement_travail'],
    ['combien je touche avec le cej', 'cej_allocation'],
  ])('finds the new entry for "%s"', async (question, key) => {
    const c = anonymous();
    const text = await c.say(question);
    const entry = (await db.store.content.findFaqByKey(key))!;
    expect(text).toContain(entry.question);
    expect(text).toContain(entry.answer);
  });

  it('a partial entry carries "à vérifier auprès de ta Mission locale"', async () => {
    const c = anonymous();
    await c.say('combien je touche avec le cej');
    expect(sourceOf(c)?.note).toMatch(/vérifier auprès de ta Mission locale/);
  });

  it('a verified entry checked more than 12 months before the core’s clock is shown with the note, a fresh one without', async () => {
    // Opened from its button (the "Voir aussi" path), which reads the row afresh from the store.
    const key = 'delai_de_carence';
    await db.connection.db.faqEntry.update({ where: { key }, data: { lastVerifiedAt: new Date(db.now.getTime() - 400 * DAY) } });
    const stale = anonymous();
    await stale.sendAction(`fq:${key}`);
    expect(sourceOf(stale)?.note).toMatch(/vérifier auprès de ta Mission locale/);
    await db.connection.db.faqEntry.update({ where: { key }, data: { lastVerifiedAt: new Date(db.now.getTime() - 30 * DAY) } });
    const fresh = anonymous();
    await fresh.sendAction(`fq:${key}`);
    expect(sourceOf(fresh)?.note).toBeUndefined();
  });

  it('an aid card is marked "à vérifier" from its check date too', async () => {
    const key = 'action_logement_avance_loca_pass';
    const before = await db.connection.db.supportMeasure.findUniqueOrThrow({ where: { key } });
    const cardOf = async () => {
      const c = anonymous();
      await c.say('aide pour le logement');
      const cards = c.reply.blocks.find((b): b is Extract<Block, { type: 'cards' }> => b.type === 'cards');
      return cards?.cards.find((x) => x.title === before.title);
    };
    // Content is read once per process; a change written outside the content sync is announced as the sync does.
    const setChecked = async (lastVerifiedAt: Date) => {
      await db.connection.db.supportMeasure.update({ where: { key }, data: { lastVerifiedAt } });
      contentChanged();
    };
    await setChecked(new Date(db.now.getTime() - 10 * DAY));
    expect((await cardOf())?.subtitle).not.toMatch(/à vérifier/);
    await setChecked(new Date(db.now.getTime() - 800 * DAY));
    expect((await cardOf())?.subtitle).toMatch(/à vérifier/);
    await setChecked(before.lastVerifiedAt);
  });
});
