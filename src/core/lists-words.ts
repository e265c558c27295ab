/**
 * The answer to "la 3" when the last list shows fewer items: say how many there are instead of guessing
 * or acting on mission n° 3.
 */
export function onlyItems(count: number, youth = false): string {
  if (count <= 0) return youth ? 'Il n’y a pas de liste à l’écran : fais d’abord une recherche.' : 'Il n’y a pas de liste à l’écran : faites d’abord une recherche.';
  if (count === 1) return youth ? 'Il n’y a qu’une seule mission dans la liste : c’est « la 1 ».' : 'La liste ne contient qu’un seul élément : c’est « la 1 ».';
  return youth ? `La liste ne contient que ${count} missions : choisis entre la 1 et la ${count}.` : `La liste ne contient que ${count} éléments : choisissez entre la 1 et la ${count}.`;
}
