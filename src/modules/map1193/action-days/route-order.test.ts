import { describe, expect, it } from 'vitest';
import { byRoute } from './route-order.ts';

const stop = (id: string, address: string, city = 'Fresno') => ({ id, address, city });

describe('route order', () => {
  it('walks each street by house number, not by the text of the address', () => {
    const stops = [stop('a', '100 Main St'), stop('b', '12 Main St'), stop('c', '5 Main St'), stop('d', '7 Oak Ave'), stop('e', '1200 Main St')];
    expect([...stops].sort(byRoute).map((s) => s.address)).toEqual(['5 Main St', '12 Main St', '100 Main St', '1200 Main St', '7 Oak Ave']);
  });

  it('groups by city first, compares numbers inside street names as numbers, and keeps a stable order for the same address', () => {
    const stops = [stop('z', '3 Highway 10', 'Clovis'), stop('y', '3 Highway 9', 'Clovis'), stop('x', '1 Main St', 'Anaheim'), stop('w', 'Main St', 'Anaheim'), stop('v', '1 Main St', 'Anaheim')];
    expect([...stops].sort(byRoute).map((s) => s.id)).toEqual(['w', 'v', 'x', 'y', 'z']);
  });
});
