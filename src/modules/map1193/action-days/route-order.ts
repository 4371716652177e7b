import type { AreaBusiness } from './repo.ts';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** "1200 Main St" → the street ("Main St") and the house number (1200); an address without one is all street. */
function splitAddress(address: string): { street: string; number: number } {
  const match = /^\s*(\d+)[A-Za-z]?\s+(.+)$/.exec(address);
  return match ? { street: match[2]!, number: Number(match[1]) } : { street: address.trim(), number: -1 };
}

/**
 * The order a team walks its stops: by city, then along each street by house number ("5 Main
 * St" before "12 Main St" before "100 Main St"), numbers inside names compared as numbers
 * ("Store 2" before "Store 10"). Text order put "100 Main St" before "5 Main St".
 */
export function byRoute(a: AreaBusiness, b: AreaBusiness): number {
  const x = splitAddress(a.address);
  const y = splitAddress(b.address);
  return collator.compare(a.city, b.city) || collator.compare(x.street, y.street) || x.number - y.number || collator.compare(a.address, b.address) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
