import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Subscription } from 'rxjs';

/**
 * Where components meet the SDK: subscribes to an observable while the host
 * is connected, keeps its latest value in `value`, and asks the host to
 * render on each one. Components never subscribe by hand.
 *
 * @example
 * private session = new ObserveController(this, () => this.client?.session$);
 * render() { return html`${this.session.value?.state}`; }
 */
export class ObserveController<T> implements ReactiveController {
  value: T | undefined;
  #subscription: Subscription | undefined;
  #source: Observable<T> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => Observable<T> | undefined,
    private readonly onValue?: (value: T) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#resubscribe();
  }

  /** Call when the source may have changed (e.g. a new client was set). */
  hostUpdate(): void {
    if (this.source() !== this.#source) this.#resubscribe();
  }

  hostDisconnected(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#source = undefined;
  }

  #resubscribe(): void {
    this.#subscription?.unsubscribe();
    this.#source = this.source();
    this.#subscription = this.#source?.subscribe((value) => {
      this.value = value;
      this.onValue?.(value);
      this.host.requestUpdate();
    });
  }
}
