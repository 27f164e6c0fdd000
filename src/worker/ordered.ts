/**
 * Results that arrive in any order, handed on in input order: item i is emitted as soon as
 * items 0..i are all in (what streaming output and onResult callbacks need).
 */
export class InOrder<T> {
  readonly items: T[];
  private readonly have: boolean[];
  private next = 0;

  constructor(
    n: number,
    private readonly emit?: (index: number, item: T) => void,
  ) {
    this.items = new Array<T>(n);
    this.have = new Array<boolean>(n).fill(false);
  }

  put(index: number, item: T): void {
    this.items[index] = item;
    this.have[index] = true;
    while (this.next < this.have.length && this.have[this.next]) {
      this.emit?.(this.next, this.items[this.next]);
      this.next++;
    }
  }

  get completed(): number {
    return this.next;
  }
}
