// Registers the <ms-*> tags, then mounts the Svelte component: nothing wraps the elements.
import '../../src/elements/define/index.js';
import {mount} from 'svelte';
import App from './App.svelte';

mount(App, {target: document.getElementById('app')!});
