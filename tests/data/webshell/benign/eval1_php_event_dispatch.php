<?php
// Dispatches registered listeners (callbacks registered in code, not from input).
class Events {
    private $listeners = array();
    public function on($name, callable $cb) { $this->listeners[$name][] = $cb; }
    public function fire($name, array $args = array()) {
        foreach ($this->listeners[$name] ?? array() as $cb) { call_user_func_array($cb, $args); }
    }
}
$e = new Events();
$e->on('save', 'trim');
$e->fire('save', array(' x '));
