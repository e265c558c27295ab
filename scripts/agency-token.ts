/**
 * `npm run agency:token -- --agency <id or exact name>`: issues a bearer token for POST /api/agencies/missions
 * (printed once; only its hash is stored). `--list` shows the agency's tokens, `--revoke <token id>` revokes one.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/bootstrap.js';
import { newAgencyToken } from '../src/import/tokens.js';

const USAGE = 'usage: npm run agency:token -- --agency <id ou nom exact> [--list]  |  npm run agency:token -- --revoke <id du jeton>';
const { values } = parseArgs({ options: { agency: { type: 'string' }, list: { type: 'boolean', default: false }, revoke: { type: 'string' } } });
if (!values.agency && !values.revoke) {
  console.error(USAGE);
  process.exit(1);
}
const opened = await openStore({ url: loadConfig().DATABASE_URL });
try {
  const { store } = opened;
  if (values.revoke) {
    if (!/^\d{1,9}$/.test(values.revoke)) throw new Error(USAGE);
    const revoked = await store.agencyTokens.revokeAgencyToken(Number(values.revoke), new Date());
    console.log(revoked ? `jeton ${values.revoke} révoqué` : `jeton ${values.revoke} inconnu ou déjà révoqué`);
    process.exitCode = revoked ? 0 : 1;
  } else {
    const agencies = await store.imports.findAgenciesByIdOrName(values.agency!);
    if (agencies.length !== 1) {
      console.error(agencies.length ? `plusieurs agences portent ce nom : indiquez l'identifiant (${agencies.map((a) => a.id).join(', ')})` : 'agence inconnue');
      process.exitCode = 1;
    } else if (values.list) {
      for (const t of await store.agencyTokens.listAgencyTokens(agencies[0]!.id)) {
        console.log(`jeton ${t.id}  créé ${t.createdAt.toISOString()}  utilisé ${t.lastUsedAt?.toISOString() ?? 'jamais'}  ${t.revokedAt ? `révoqué ${t.revokedAt.toISOString()}` : 'actif'}`);
      }
    } else {
      const { token, hash } = newAgencyToken();
      const row = await store.agencyTokens.createAgencyToken(agencies[0]!.id, hash);
      console.log(`jeton ${row.id} pour l'agence ${agencies[0]!.id} (affiché une seule fois) :`);
      console.log(token);
    }
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await opened.connection.close();
}
