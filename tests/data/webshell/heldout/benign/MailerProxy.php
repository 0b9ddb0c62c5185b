<?php
/**
 * Lazy proxy for the mailer service. Magic methods forward only to methods
 * declared on the wrapped class in the allow list.
 */
class MailerProxy
{
    private $factory;
    private $instance;
    private static $allowed = array('send', 'queue', 'flush');

    public function __construct(callable $factory)
    {
        $this->factory = $factory;
    }

    public function __call($method, $args)
    {
        if (!in_array($method, self::$allowed, true)) {
            throw new BadMethodCallException($method);
        }
        if ($this->instance === null) {
            $this->instance = call_user_func($this->factory);
        }
        return call_user_func_array(array($this->instance, $method), $args);
    }

    public function __destruct()
    {
        if ($this->instance !== null) {
            $this->instance->flush();
        }
    }
}
