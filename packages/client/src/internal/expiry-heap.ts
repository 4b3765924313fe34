/** One recorded identifier and when it may be forgotten. */
export interface ExpiryRecord {
  readonly id: string;
  readonly expiresAt: number;
}

/** A binary min-heap on `expiresAt`: the next record to expire is always at the top. */
export class ExpiryHeap {
  readonly #items: ExpiryRecord[] = [];

  peek(): ExpiryRecord | undefined {
    return this.#items[0];
  }

  push(record: ExpiryRecord): void {
    const items = this.#items;
    items.push(record);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentItem = items[parent] as ExpiryRecord;
      if (parentItem.expiresAt <= record.expiresAt) break;
      items[index] = parentItem;
      index = parent;
    }
    items[index] = record;
  }

  pop(): ExpiryRecord | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let index = 0;
    const length = items.length;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= length) break;
      const right = left + 1;
      const leftItem = items[left] as ExpiryRecord;
      const rightItem = items[right];
      const child = rightItem !== undefined && rightItem.expiresAt < leftItem.expiresAt ? right : left;
      const childItem = items[child] as ExpiryRecord;
      if (childItem.expiresAt >= last.expiresAt) break;
      items[index] = childItem;
      index = child;
    }
    items[index] = last;
    return top;
  }
}
