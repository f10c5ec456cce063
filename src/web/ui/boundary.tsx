// Catches a page that throws while rendering and shows the error page in its place
// (the layout around it stays usable). Keyed by path, so navigating away resets it.
import { Component, type ComponentChildren } from "preact";
import { ErrorPage } from "../pages/status-pages";

export class Boundary extends Component<{ children: ComponentChildren }, { error?: string }> {
  override state: { error?: string } = {};
  override componentDidCatch(error: unknown) {
    console.error(error);
    this.setState({ error: error instanceof Error ? error.message : String(error) });
  }
  override render() {
    return this.state.error ? <ErrorPage /> : this.props.children;
  }
}
