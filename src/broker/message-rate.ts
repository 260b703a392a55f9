const SLOT_MS = 100;
const SLOTS = 10;

/** Messages counted over the last second, in ten 100 ms slots that slide with the clock. */
export class MessageRate {
  private readonly slots = new Uint32Array(SLOTS);
  private slot = 0;
  private sum = 0;

  add(now: number): void {
    this.advance(now);
    this.slots[this.slot % SLOTS]!++;
    this.sum++;
  }

  perSecond(now: number): number {
    this.advance(now);
    return this.sum;
  }

  private advance(now: number): void {
    const slot = Math.floor(now / SLOT_MS);
    // A clock that steps back keeps counting into the current slot.
    if (slot <= this.slot) return;
    const steps = Math.min(slot - this.slot, SLOTS);
    for (let k = 1; k <= steps; k++) {
      const i = (this.slot + k) % SLOTS;
      this.sum -= this.slots[i]!;
      this.slots[i] = 0;
    }
    this.slot = slot;
  }
}
