/** Lets `tsc` accept `.vue` imports; Vite's plugin compiles them. */
declare module '*.vue' {
  import type {DefineComponent} from 'vue';
  const component: DefineComponent;
  export default component;
}
