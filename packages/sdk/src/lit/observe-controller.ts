import type { Observable, Subscription } from 'rxjs';

/** The part of a Lit `ReactiveControllerHost` this uses; any LitElement fits, with no import of Lit here. */
export interface ControllerHost {
  addController(controller: { hostConnected?(): void; hostDisconnected?(): void; hostUpdate?(): void }): void;
  requestUpdate(): void;
}

/**
 * Where components meet the SDK: a Lit reactive controller that subscribes
 * to an observable while the host is connected, keeps its latest value in
 * `value`, and asks the host to render on each one. Components never
 * subscribe by hand.
 *
 * @example
 * private session = new ObserveController(this, () => this.client?.session$);
 * render() { return html`${this.session.value?.state}`; }
 */
export class ObserveController<T> {
  value: T | undefined;
  #subscription: Subscription | undefined;
  #source: Observable<T> | undefined;

  constructor(
    private readonly host: ControllerHost,
    private readonly source: () => Observable<T> | undefined,
    private readonly onValue?: (value: T) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#resubscribe();
  }

  /** Follows a new source (e.g. a client set after the element was created). */
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
