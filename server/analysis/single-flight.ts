// Concurrent requests for the same costly answer share one computation: sixteen national
// gap exports arriving together run the national query once, not sixteen times over the
// one connection of the embedded database. Nothing is kept once the computation ends.
export class SingleFlight<T> {
  private running = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    let shared = this.running.get(key);
    if (!shared) {
      shared = compute().finally(() => this.running.delete(key));
      this.running.set(key, shared);
    }
    return shared;
  }
}
