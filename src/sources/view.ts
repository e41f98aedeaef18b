/**
 * The reader's view of an event, attached to the plain RawEvent object it hands out without
 * becoming part of it: `{ raw, time, source, line, byte }` stays a plain object (spreading it,
 * JSON.stringify and deep equality see exactly those fields), while the field model can still
 * reach the text the reader walked and the top-level index it built (so `_raw`'s top level is
 * walked once, and values are sliced from the view instead of from a copy).
 *
 * The attachment uses class private fields installed on the event object (a base constructor
 * that returns the object it is given makes `new` add the subclass's private fields to it).
 */
import type { MemberScan } from './members.js';
import type { RawEvent } from './types.js';

class Adopt {
  constructor(target: object) {
    return target;
  }
}

export class EventView extends Adopt {
  #text: string;
  #start: number;
  #end: number;
  #members: MemberScan;

  private constructor(ev: RawEvent, text: string, start: number, end: number, members: MemberScan) {
    super(ev);
    this.#text = text;
    this.#start = start;
    this.#end = end;
    this.#members = members;
  }

  /** Attaches to `ev` the view it was read from: its `raw` is text[start, end). */
  static attach(ev: RawEvent, text: string, start: number, end: number, members: MemberScan): RawEvent {
    new EventView(ev, text, start, end, members);
    return ev;
  }

  /** True when `ev` has a view attached (events built elsewhere have none). */
  static has(ev: RawEvent): boolean {
    return #text in (ev as object);
  }

  // The parts of the view of an event that has one (has(ev)), read without making an object.
  static text(ev: RawEvent): string {
    return (ev as unknown as EventView).#text;
  }

  static start(ev: RawEvent): number {
    return (ev as unknown as EventView).#start;
  }

  static end(ev: RawEvent): number {
    return (ev as unknown as EventView).#end;
  }

  static members(ev: RawEvent): MemberScan {
    return (ev as unknown as EventView).#members;
  }
}
