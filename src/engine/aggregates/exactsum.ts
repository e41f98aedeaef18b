/**
 * Exactly rounded floating-point summation (Shewchuk's partials, as in Python's math.fsum).
 * The partials represent the sum with no rounding error, so the result does not depend on the
 * order of additions or on how the input was split into chunks — which is what lets sum/avg be
 * merged across worker threads and still equal the single-thread result bit for bit.
 */
export class ExactSum {
  partials: number[] = [];

  add(x: number): void {
    if (!Number.isFinite(x)) {
      // inf/NaN break the error-free transformation; keep them as a sticky special partial.
      this.partials = [this.special() + x];
      return;
    }
    if (this.hasSpecial()) return;
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  addAll(other: ExactSum): void {
    for (const x of other.partials) this.add(x);
  }

  value(): number {
    if (this.hasSpecial()) return this.partials[0]!;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round-half-even correction (see fsum): look at the sign of the next partial.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  private hasSpecial(): boolean {
    return this.partials.length === 1 && !Number.isFinite(this.partials[0]!);
  }

  private special(): number {
    return this.hasSpecial() ? this.partials[0]! : 0;
  }

  static from(partials: number[]): ExactSum {
    const s = new ExactSum();
    s.partials = partials.slice();
    return s;
  }
}
