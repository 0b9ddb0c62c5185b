<?php
// Forwards calls to a whitelisted remote service.
class ServiceProxy {
    private $allowed = array('getNews', 'getWeather');
    function __call($name, $args) {
        if (!in_array($name, $this->allowed, true)) throw new BadMethodCallException($name);
        return $this->client->request($name, $args);
    }
}
echo json_encode((new ServiceProxy())->getNews((int) ($_GET['id'] ?? 0)));
