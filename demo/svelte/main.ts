// Registers the <ms-*> tags, then mounts the Svelte component: nothing wraps the elements. The demo's own stylesheet, as the other pages.
import '../../src/elements/define/index.js';
import '../demo.css';
import {mount} from 'svelte';
import App from './App.svelte';

mount(App, {target: document.getElementById('app')!});
