// A minimal event emitter with the shape of vscode.EventEmitter, so that the folder state machine
// and the registry fire events without importing vscode at runtime (see platform/apis.ts for why).
// `event` is assignable to vscode.Event<T>.
import type { Disposable, Event } from "vscode";

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => unknown>();
  private disposed = false;

  readonly event: Event<T> = (listener, thisArgs?, disposables?) => {
    const bound = (e: T) => listener.call(thisArgs, e);
    if (!this.disposed) this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    // A copy: a listener that unsubscribes (or subscribes another) while handling must not skip one.
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        // As VS Code does: one failing listener does not keep the event from the others.
        console.error(e);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
