import type { MissionCard, MissionDetails } from '../../store/index.js';
import type { Card } from '../types.js';
import { button } from '../replies.js';
import { formatDate, formatPay, SECTOR_LABELS } from '../format.js';

/** The card of a mission in a list; every value comes from the store row. */
export function missionCard(m: MissionCard, ref?: number): Card {
  return {
    ...(ref !== undefined ? { ref: String(ref) } : {}),
    title: m.title,
    subtitle: `${m.communeName} (${m.postcode}) · ${SECTOR_LABELS[m.sector] ?? m.sector}`,
    fields: [
      { label: 'Dates', value: `du ${formatDate(m.startDate)} au ${formatDate(m.endDate)}` },
      { label: 'Horaires', value: `${m.weeklyHours} h/semaine` },
      { label: 'Salaire', value: formatPay(m.hourlyGrossPay) },
      ...(m.requirements.length ? [{ label: 'Demandé', value: m.requirements.join(', ') }] : []),
      { label: 'Agence', value: m.agency.name },
    ],
    buttons: [button('ℹ️ Détails', { kind: 'mission_details', missionId: m.id }), button('✋ Ça m’intéresse', { kind: 'apply', missionId: m.id }, 'primary')],
  };
}

/** The full card of one mission, with its description and the agency's contact. */
export function missionDetailsCard(m: MissionDetails): Card {
  const base = missionCard(m);
  return {
    ...base,
    fields: [
      { label: 'Description', value: m.description },
      ...base.fields,
      { label: 'Postes', value: String(m.places) },
      { label: 'Contact agence', value: [m.agency.phone, m.agency.email].filter(Boolean).join(' · ') },
      { label: 'Référence', value: `mission ${m.id}` },
    ],
    buttons: m.status === 'open' ? [button('✋ Ça m’intéresse', { kind: 'apply', missionId: m.id }, 'primary')] : [],
  };
}
